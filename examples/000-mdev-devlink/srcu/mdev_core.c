// SPDX-License-Identifier: GPL-2.0-only
/*
 * 000-mdev-devlink, SRCU variant: the rw_semaphore is replaced by an
 * srcu_struct, as the seed patch does. Create/remove run inside an
 * unreg_srcu read-side section; unregistration unpublishes parent->self
 * and calls synchronize_srcu(). The NIC driver still unregisters from a
 * devlink command holding devlink_mutex, and the create callback still
 * takes devlink_mutex inside the read-side section: synchronize_srcu()
 * waits for a reader that waits for devlink_mutex. Same deadlock, new form.
 */
/* expect: srcu-deadlock mdev_parent.unreg_srcu devlink_mutex */

#include "scenario.h"

static LIST_HEAD(parent_list);
static DEFINE_MUTEX(parent_list_lock);

static struct mdev_parent *__find_parent_device(struct device *dev)
{
	struct mdev_parent *parent;

	lockdep_assert_held(&parent_list_lock);
	list_for_each_entry(parent, &parent_list, next) {
		if (parent->dev == dev)
			return parent;
	}
	return NULL;
}

static void mdev_release_parent(struct kref *kref)
{
	struct mdev_parent *parent = container_of(kref, struct mdev_parent, ref);
	struct device *dev = parent->dev;

	cleanup_srcu_struct(&parent->unreg_srcu);
	kfree(parent);
	put_device(dev);
}

bool mdev_get_parent(struct mdev_parent *parent)
{
	return kref_get_unless_zero(&parent->ref);
}

void mdev_put_parent(struct mdev_parent *parent)
{
	kref_put(&parent->ref, mdev_release_parent);
}

int mdev_register_device(struct device *dev, const struct mdev_parent_ops *ops)
{
	struct mdev_parent *parent;
	int ret = 0;

	if (!ops || !ops->create || !ops->remove)
		return -EINVAL;

	mutex_lock(&parent_list_lock);
	if (__find_parent_device(dev)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = init_srcu_struct(&parent->unreg_srcu);
	if (ret) {
		kfree(parent);
		goto out_unlock;
	}
	kref_init(&parent->ref);
	parent->dev = get_device(dev);
	parent->ops = ops;
	list_add(&parent->next, &parent_list);
	rcu_assign_pointer(parent->self, parent);
	dev_info(dev, "mdev parent registered\n");
out_unlock:
	mutex_unlock(&parent_list_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(mdev_register_device);

static int mdev_device_remove_cb(struct device *dev, void *data)
{
	mdev_device_remove_common(to_mdev_device(dev));
	return 0;
}

void mdev_unregister_device(struct device *dev)
{
	struct mdev_parent *parent;

	mutex_lock(&parent_list_lock);
	parent = __find_parent_device(dev);
	if (!parent) {
		mutex_unlock(&parent_list_lock);
		return;
	}
	dev_info(dev, "mdev parent going away\n");
	list_del(&parent->next);
	mutex_unlock(&parent_list_lock);

	/* New create/remove calls see a NULL parent->self and back off... */
	rcu_assign_pointer(parent->self, NULL);
	/* ...and this waits for the ones already inside a read section. */
	synchronize_srcu(&parent->unreg_srcu);

	device_for_each_child(dev, NULL, mdev_device_remove_cb);
	mdev_put_parent(parent);
}
EXPORT_SYMBOL_GPL(mdev_unregister_device);
