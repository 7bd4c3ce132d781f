// SPDX-License-Identifier: GPL-2.0-only
/*
 * 000-mdev-devlink, buggy (rw_semaphore): parent registration and
 * unregistration in the mdev core. Unregistration takes parent->unreg_sem
 * for write to wait out create/remove; the NIC driver calls it from a
 * devlink eswitch command that already holds devlink_mutex, while create
 * (mdev_device.c) holds unreg_sem across a callback that takes
 * devlink_mutex. The write acquisition below is where lockdep complained.
 */
/* expect: none */

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
	kref_init(&parent->ref);
	init_rwsem(&parent->unreg_sem);
	parent->dev = get_device(dev);
	parent->ops = ops;
	list_add(&parent->next, &parent_list);
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

	/* Wait for create/remove in flight and keep new ones out. */
	down_write(&parent->unreg_sem);
	device_for_each_child(dev, NULL, mdev_device_remove_cb);
	up_write(&parent->unreg_sem);

	mdev_put_parent(parent);
}
EXPORT_SYMBOL_GPL(mdev_unregister_device);
