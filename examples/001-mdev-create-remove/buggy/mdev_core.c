// SPDX-License-Identifier: GPL-2.0-only
/*
 * 001-mdev-create-remove, buggy: unregistration drops the parent's initial
 * reference and waits for create/remove calls in flight to finish, but it
 * waits with parent_list_lock still held. A create or remove in flight must
 * take parent_list_lock (to link or unlink its mdev) before it drops its
 * reference and completes parent->unreg_completion: neither side can move.
 */
/* expect: wait-under-lock parent_list_lock */

#include "scenario.h"

static LIST_HEAD(parent_list);
DEFINE_MUTEX(parent_list_lock);

static struct mdev_parent *__find_parent_device(struct device *dev)
{
	struct mdev_parent *parent;

	lockdep_assert_held(&parent_list_lock);
	list_for_each_entry(parent, &parent_list, next)
		if (parent->dev == dev)
			return parent;
	return NULL;
}

bool mdev_get_parent(struct mdev_parent *parent)
{
	return refcount_inc_not_zero(&parent->refcount);
}

void mdev_put_parent(struct mdev_parent *parent)
{
	if (refcount_dec_and_test(&parent->refcount))
		complete(&parent->unreg_completion);
}

int mdev_register_device(struct device *dev, const struct mdev_parent_ops *ops)
{
	struct mdev_parent *parent;

	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent)
		return -ENOMEM;
	parent->dev = get_device(dev);
	parent->ops = ops;
	INIT_LIST_HEAD(&parent->mdev_list);
	refcount_set(&parent->refcount, 1);
	init_completion(&parent->unreg_completion);

	mutex_lock(&parent_list_lock);
	if (__find_parent_device(dev)) {
		mutex_unlock(&parent_list_lock);
		put_device(dev);
		kfree(parent);
		return -EEXIST;
	}
	list_add(&parent->next, &parent_list);
	mutex_unlock(&parent_list_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(mdev_register_device);

void mdev_unregister_device(struct device *dev)
{
	struct mdev_device *mdev, *tmp;
	struct mdev_parent *parent;

	mutex_lock(&parent_list_lock);
	parent = __find_parent_device(dev);
	if (!parent) {
		mutex_unlock(&parent_list_lock);
		return;
	}
	list_del(&parent->next);

	/* Drop the registration reference: new create/remove now fail. */
	mdev_put_parent(parent);
	/* Wait for the create/remove calls already in flight. */
	wait_for_completion(&parent->unreg_completion);

	list_for_each_entry_safe(mdev, tmp, &parent->mdev_list, next) {
		list_del_init(&mdev->next);
		parent->ops->remove(mdev);
		device_unregister(&mdev->dev);
	}
	mutex_unlock(&parent_list_lock);

	put_device(parent->dev);
	kfree(parent);
}
EXPORT_SYMBOL_GPL(mdev_unregister_device);
